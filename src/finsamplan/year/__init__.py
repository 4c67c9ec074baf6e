"""The förbund's year: forecast, follow-up, the next plan, and many plans compared."""
