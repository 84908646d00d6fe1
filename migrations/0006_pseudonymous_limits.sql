-- Binding attempts are counted under a keyed hash of their chat, so that they outlive an erasure.
-- The attempts kept by chat id (a day's at most) cannot be rehashed in SQL: they go.
DROP TABLE `binding_attempts`;--> statement-breakpoint
CREATE TABLE `binding_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`chat_hash` text NOT NULL,
	`national_code_hash` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `binding_attempts_chat` ON `binding_attempts` (`chat_hash`,`at`);--> statement-breakpoint
CREATE INDEX `binding_attempts_national_code` ON `binding_attempts` (`national_code_hash`,`at`);--> statement-breakpoint
CREATE TABLE `code_sends` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`mobile_hash` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `code_sends_mobile` ON `code_sends` (`mobile_hash`,`at`);
