"""Working days and the dates of a visit: workdays, timeline, deadlines, calendar export."""
