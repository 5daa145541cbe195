"""At the visit and after it: the team's schedule, evidence, judgements, the team leader's
progress view, the debrief and the draft report."""
