"""Communities: discussion spaces staff define and each course's own, their threads and posts,
follows and mail, unread counts, moderation, and members' names in them."""
