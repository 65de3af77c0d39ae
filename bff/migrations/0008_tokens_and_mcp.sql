CREATE TABLE "guardrail_counts" (
	"layer" text NOT NULL,
	"kind" text NOT NULL,
	"day" date NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "guardrail_counts_layer_kind_day_pk" PRIMARY KEY("layer","kind","day")
);
