-- The language a person reads SafePlay in (geo/i18n): chosen once, it follows them to every
-- device and into the e-mails, digests and newsletters sent to them. NULL: not chosen, so
-- the browser's language is used on screen and English in messages.
ALTER TABLE users ADD COLUMN language VARCHAR;
