"""Forms of this area of the workspace (issue 9)."""
