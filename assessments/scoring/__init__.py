"""The scoring kernel: rubric data, typed answers, score, presentation. Framework-free."""
