CREATE TABLE `conversations` (
	`channel` text NOT NULL,
	`chat_id` text NOT NULL,
	`state` text,
	`version` integer DEFAULT 0 NOT NULL,
	`lease_owner` text,
	`lease_until` integer DEFAULT 0 NOT NULL,
	`updated_at` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`channel`, `chat_id`)
);
--> statement-breakpoint
CREATE TABLE `dedupe_claims` (
	`key` text PRIMARY KEY NOT NULL,
	`token` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `inbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`chat_id` text NOT NULL,
	`payload` text NOT NULL,
	`received_at` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`processed_at` integer,
	`attempts` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `inbox_chat_status` ON `inbox` (`channel`,`chat_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `inbox_status_received` ON `inbox` (`status`,`received_at`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`chat_id` text NOT NULL,
	`body` text NOT NULL,
	`kind` text DEFAULT 'reply' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_at` integer DEFAULT 0 NOT NULL,
	`remote_id` text,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE INDEX `outbox_chat_status` ON `outbox` (`channel`,`chat_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `outbox_status_next` ON `outbox` (`status`,`next_at`);