CREATE TABLE `subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`chat_id` text NOT NULL,
	`national_code_hash` text NOT NULL,
	`service` text NOT NULL,
	`answers` text NOT NULL,
	`answers_hash` text NOT NULL,
	`seen` text DEFAULT '[]' NOT NULL,
	`next_check_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`renewal_asked` integer DEFAULT 0 NOT NULL,
	`lease_owner` text,
	`lease_until` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscriptions_watch` ON `subscriptions` (`channel`,`chat_id`,`service`,`answers_hash`);--> statement-breakpoint
CREATE INDEX `subscriptions_identity` ON `subscriptions` (`national_code_hash`,`expires_at`);--> statement-breakpoint
CREATE INDEX `subscriptions_due` ON `subscriptions` (`next_check_at`);