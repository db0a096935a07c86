"""The assertion helpers of the problem sets (nothing else)."""
