CREATE TABLE `audit_anchor_marks` (
	`id` integer PRIMARY KEY NOT NULL,
	`last_rowid` integer NOT NULL
);
