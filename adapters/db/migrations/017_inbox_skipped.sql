-- Why an event was recorded without being answered. A message over the per-user flood limit is still
-- acknowledged to its platform, so it is kept here (already processed) rather than vanishing: an
-- acknowledged event is always in the inbox, and an operator can see what the guard held back.
ALTER TABLE inbox ADD COLUMN skipped text CHECK (skipped IN ('flood'));
