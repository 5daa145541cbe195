"""Across visits: the year's programme and its conflicts (``irp programme``), and the record of
past visits (``irp stats``). A folder of visit files is the store; each file is read once and
summarised, and only the summaries are kept."""
