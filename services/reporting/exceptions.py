"""What reporting refuses: nothing yet. It folds every event it hears (one it cannot read is
dead-lettered by shared/delivery.py) and its reads refuse nothing, so this module holds no class;
it is where one goes, as in every service (see docs/developers.md)."""
