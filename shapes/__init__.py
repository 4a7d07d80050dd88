"""SHACL shapes of SCO-KG and their runner."""
from pathlib import Path

SHAPES_FILE = Path(__file__).resolve().parent / "sco-shapes.ttl"
UPDATE_GATE_FILE = Path(__file__).resolve().parent / "update-gate.ttl"
