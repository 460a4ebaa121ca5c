"""Time and git: the only place that runs git (`git`), the folder at a revision
(`revisions`), every check-in from the history (`checkins`, re-scored by `rescoring`),
and the build date, periods and staleness (`timeline`)."""
