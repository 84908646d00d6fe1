-- The bus's nonces and idempotency records are the GSB sandbox's own tables now (dev/gsb-sandbox/stores.ts).
DROP TABLE `gateway_idempotency`;--> statement-breakpoint
DROP TABLE `gateway_nonces`;