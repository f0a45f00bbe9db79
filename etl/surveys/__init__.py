"""Staff survey exports (Google Forms, SurveyMonkey, Qualtrics) read into the warehouse's long shape.

Each vendor module turns its export into a `WideSurvey` (one row per respondent, one column per
answer, with the question text and sub-item of each column); `stage.stage_wide` recognises each
column's answer scale (`scales`), matches items to the item map (`item_map`) and writes the same
temp tables `staged_items` and `staged_responses` that the generic long adapter writes.
`detect.detect_format` tells the formats apart from their header rows.
"""

from etl.surveys.detect import SURVEY_FORMATS, detect_format

__all__ = ["SURVEY_FORMATS", "detect_format"]
