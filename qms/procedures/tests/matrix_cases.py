"""The TTHC pages in the permission matrix (qms/organization/tests/matrix.py), one module
per part of the app."""

from qms.procedures.tests.matrix_catalogue import CASES as CATALOGUE
from qms.procedures.tests.matrix_results import CASES as RESULTS
from qms.procedures.tests.matrix_steps import CASES as STEPS

CASES = [*CATALOGUE, *STEPS, *RESULTS]
