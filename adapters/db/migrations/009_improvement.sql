-- The improvement loop: why a turn was flagged for the operators, what they did about it, the answers
-- they wrote, and the examples they added to intents.

ALTER TABLE turns ADD COLUMN flags text[] NOT NULL DEFAULT '{}';
-- open: waits in the inbox; answered, example, out_of_scope: what an operator did; dismissed: nothing to do.
ALTER TABLE turns ADD COLUMN flag_status text CHECK (flag_status IN ('open', 'answered', 'example', 'out_of_scope', 'dismissed'));
CREATE INDEX turns_open_flags ON turns (id DESC) WHERE flag_status = 'open';

CREATE TABLE curated_answers (
  id bigserial PRIMARY KEY,
  questions text[] NOT NULL CHECK (cardinality(questions) > 0),
  answer_vi text NOT NULL,
  answer_en text NOT NULL,
  sources jsonb NOT NULL CHECK (jsonb_array_length(sources) > 0),
  active boolean NOT NULL DEFAULT true,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Sentences operators filed under an intent from the inbox; they route at once and train the router at the next start.
CREATE TABLE intent_examples (
  id bigserial PRIMARY KEY,
  intent text NOT NULL,
  text text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (intent, text)
);
