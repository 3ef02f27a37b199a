"""MDS2 (ANSI/NEMA HN 1-2019) readers, validator, writers, diff and compare."""
