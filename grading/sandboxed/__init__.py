"""Code that runs INSIDE the sandbox, next to the student's code: untrusted by construction.

Nothing here decides a mark.  ``runner.py`` executes the student's cells and answers the grader's requests
("what is ``sigmoid``", "call it with these arguments") as messages in the format of ``grading/protocol.py``,
the one module both sides share.  ``grading.marking.sandbox`` copies exactly the files its ``JAIL_FILES`` names
(``runner.py``, ``protocol.py``, ``grading/asserts.py`` and ``jail_init.py`` as that package's ``__init__``) into the
sandbox; nothing else of the course is visible there.
"""
