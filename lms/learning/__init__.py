"""Learning: catalogue, course outline, lessons, progress."""
