//! Monthly operations data: as-flown log, anomaly register, CCSDS CDMs, KPIs (in progress).
