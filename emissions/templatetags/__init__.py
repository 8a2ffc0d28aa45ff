"""Template filters of the factory pages (`{% load factory_pages %}`)."""
