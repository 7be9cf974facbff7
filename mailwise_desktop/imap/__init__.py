"""imap layer."""
