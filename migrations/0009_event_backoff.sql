ALTER TABLE `inbox` ADD `next_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `inbox_status_next` ON `inbox` (`status`,`next_at`);