"""The vulnerability knowledge base: public reference data stored as Parquet snapshots."""
