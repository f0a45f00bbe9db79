"""Each page's opening answer: two to four plain sentences computed from the same gated rows as its figures.

Pure Python (no Streamlit), so every sentence is tested against known answers (tests/test_answers.py).
The sentences are plain text: pages show them through ui/text.md, since group names and school names come
from data.
"""
