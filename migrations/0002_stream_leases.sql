CREATE TABLE `stream_leases` (
	`name` text PRIMARY KEY NOT NULL,
	`lease_owner` text,
	`lease_until` integer DEFAULT 0 NOT NULL,
	`last_event_id` text,
	`last_message_at` integer DEFAULT 0 NOT NULL
);
