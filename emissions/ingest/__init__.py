"""Data from outside in: meter readings (JSON or CSV) checked row by row."""
