"""Code that decides marks: the trusted side of the sandbox boundary.

``worker.grade_submission`` (a pool process or Dask worker) plans the notebook from the instructor's source
(``submission``), starts the sandbox (``sandbox``), drives the student's cells through it (``kernel``), runs the
source's test code in this process (``trusted``) on plain data decoded by ``grading.protocol``, and words the
verdicts (``feedback``).  Nothing here runs student code; everything the sandbox sends is data.
The instructor's process (``grading.autograde``) alone writes the gradebook, the journal and the files.
"""
