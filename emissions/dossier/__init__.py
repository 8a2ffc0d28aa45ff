"""The `zerocarbon.dossier/1` exchange format: read (check and normalise) and write dossiers.

Framework-free: the import service, the REST API and the command line share it.
"""

from emissions.dossier.errors import DossierError, DossierInvalid
from emissions.dossier.loading import load_dossier_file, parse_dossier_bytes, parse_dossier_text
from emissions.dossier.reader import ReadDossier, read_dossier
from emissions.dossier.writer import document_to_json, to_jsonable

__all__ = [
    "DossierError",
    "DossierInvalid",
    "ReadDossier",
    "document_to_json",
    "load_dossier_file",
    "parse_dossier_bytes",
    "parse_dossier_text",
    "read_dossier",
    "to_jsonable",
]
