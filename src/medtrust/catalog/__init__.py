"""Packaged domain knowledge (questionnaires, catalogues, regimes) and its loaders."""
