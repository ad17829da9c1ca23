import { InitialSchema1764300000000 } from './1764300000000-InitialSchema';
import { AuthAndAudit1764400000000 } from './1764400000000-AuthAndAudit';
import { HostClaimLease1764500000000 } from './1764500000000-HostClaimLease';
import { HostListIndexes1764600000000 } from './1764600000000-HostListIndexes';
import { HostStatus1764700000000 } from './1764700000000-HostStatus';
import { AlertsAndNotifications1764800000000 } from './1764800000000-AlertsAndNotifications';
import { HostTotals1764900000000 } from './1764900000000-HostTotals';
import { ParentsAndFlapping1765100000000 } from './1765100000000-ParentsAndFlapping';
import { MaintenanceWindows1765200000000 } from './1765200000000-MaintenanceWindows';
import { Acknowledgement1765200000001 } from './1765200000001-Acknowledgement';
import { RemindersAndEscalation1765200000002 } from './1765200000002-RemindersAndEscalation';
import { HostSeverityIndex1765500000000 } from './1765500000000-HostSeverityIndex';
import { RecentTransitionsIndex1765500000001 } from './1765500000001-RecentTransitionsIndex';

/** Every migration, oldest first. Listed explicitly so the app, the tests and the CLI agree. */
export const MIGRATIONS = [
  InitialSchema1764300000000,
  AuthAndAudit1764400000000,
  HostClaimLease1764500000000,
  HostListIndexes1764600000000,
  HostStatus1764700000000,
  AlertsAndNotifications1764800000000,
  HostTotals1764900000000,
  ParentsAndFlapping1765100000000,
  MaintenanceWindows1765200000000,
  Acknowledgement1765200000001,
  RemindersAndEscalation1765200000002,
  HostSeverityIndex1765500000000,
  RecentTransitionsIndex1765500000001,
];
