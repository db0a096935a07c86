"""What the class did and did not understand, and which answers look copied: instructor-side reports that read
only records (the gradebook, a grading run's journal, the submitted notebooks), never run student code.

    records.py     one assignment's graded results: per student and test cell the score and the failure kind
    analyze.py     ``python -m grading analyze``: item analysis per test cell and per concept (HTML + CSV)
    normalize.py   answer code as tokens with the student's own names replaced, mapped back to the original text
    similarity.py  ``python -m grading similarity``: winnowed fingerprints, an inverted index, ranked pairs
    page.py        the small HTML helpers both reports share (offline: plots are embedded PNGs)
"""
