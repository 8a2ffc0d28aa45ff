"""Framework-free metering kernel: readings as intervals, cumulative registers, the monthly
roll-up by time share and the data quality of a meter (issue 8, points 4 to 6).

Every quantity is a `Decimal` in the meter's own unit; every time is timezone-aware and
durations are measured on the UTC time line, in whole microseconds, so that a daylight-saving
zone cannot stretch or shrink an interval.
"""
