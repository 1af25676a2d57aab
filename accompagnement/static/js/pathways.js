// Pathway editor: progressive enhancement only (every operation works without JavaScript).
