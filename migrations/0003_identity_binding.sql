CREATE TABLE `binding_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`chat_id` text NOT NULL,
	`national_code_hash` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `binding_attempts_chat` ON `binding_attempts` (`channel`,`chat_id`,`at`);--> statement-breakpoint
CREATE INDEX `binding_attempts_national_code` ON `binding_attempts` (`national_code_hash`,`at`);--> statement-breakpoint
CREATE TABLE `identities` (
	`channel` text NOT NULL,
	`chat_id` text NOT NULL,
	`sealed` text NOT NULL,
	`national_code_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`channel`, `chat_id`)
);
--> statement-breakpoint
CREATE INDEX `identities_national_code` ON `identities` (`national_code_hash`);