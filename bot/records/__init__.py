"""Event records: the model, the hand-edited files and their validation, the database."""
