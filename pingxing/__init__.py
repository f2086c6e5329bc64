"""pingxing (评星): star-rating campaigns for Party branches and members.

The package follows the data: read forms (intake, cells) → aggregate by the scheme →
rate (rules) → publish (results, notices, manifest). ``process.py`` is a thin CLI over
:mod:`pingxing.pipeline`.
"""

__version__ = "0.1.0"
