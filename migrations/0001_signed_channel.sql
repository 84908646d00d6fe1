CREATE TABLE `audit_log` (
	`seq` integer PRIMARY KEY NOT NULL,
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
	`row_hash` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `gateway_idempotency` (
	`key` text PRIMARY KEY NOT NULL,
	`fingerprint` text NOT NULL,
	`status` integer,
	`content_type` text,
	`body` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `gateway_nonces` (
	`key_id` text NOT NULL,
	`nonce` text NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`key_id`, `nonce`)
);
