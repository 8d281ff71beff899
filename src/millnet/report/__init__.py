"""Reports: words, tables and charts drawn from Results and the KPI registry only."""
