"""At the visit and after it: evidence, judgements, the team leader's progress view and the
debrief."""
