-- The audit log becomes one hash chain per writer. Rows of the single chain before it cannot be
-- relinked (their hashes cover no writer), so it starts afresh: no deployment held one yet.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_audit_log` (
	`writer` text NOT NULL,
	`seq` integer NOT NULL,
	`at` integer NOT NULL,
	`service` text NOT NULL,
	`request_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`key_id` text NOT NULL,
	`created` integer NOT NULL,
	`nonce` text NOT NULL,
	`request_digest` text NOT NULL,
	`response_digest` text,
	`status` integer,
	`latency_ms` integer NOT NULL,
	`subject_hash` text,
	`subject_tail` text,
	`prev_hash` text NOT NULL,
	`row_hash` text NOT NULL,
	PRIMARY KEY(`writer`, `seq`)
);
--> statement-breakpoint
DROP TABLE `audit_log`;--> statement-breakpoint
ALTER TABLE `__new_audit_log` RENAME TO `audit_log`;--> statement-breakpoint
PRAGMA foreign_keys=ON;