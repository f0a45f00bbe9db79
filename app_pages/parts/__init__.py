"""The parts a page draws, one module per page: each page file reads top to bottom as glue (filters, named
queries, domain functions, these parts), and each part is one section of it (docs/architecture.md)."""
