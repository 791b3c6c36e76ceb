// Every migration, oldest first. A new migration file is added here too; a test checks that
// this list and the files in this folder agree.
import { ReferenceData1795382954942 } from './1795382954942-reference-data.js';
import { IdentityAndAudit1795384000000 } from './1795384000000-identity-and-audit.js';
import { Programmes1795386000000 } from './1795386000000-programmes.js';
import { Assessments1795388000000 } from './1795388000000-assessments.js';
import { PhaseTransitions1795390000000 } from './1795390000000-phase-transitions.js';
import { Notifications1795392000000 } from './1795392000000-notifications.js';
import { Reports1795394000000 } from './1795394000000-reports.js';
import { ReportSchedules1795396000000 } from './1795396000000-report-schedules.js';
import { MilestoneFiguresIndex1795398000000 } from './1795398000000-milestone-figures-index.js';
import { ProgrammeDaysInPhaseIndex1795398500000 } from './1795398500000-programme-days-in-phase-index.js';
import { EventNotifications1795400000000 } from './1795400000000-event-notifications.js';
import { SessionsAndSecrets1795401000000 } from './1795401000000-sessions-and-secrets.js';
import { ReportSchedulePause1795402000000 } from './1795402000000-report-schedule-pause.js';
import { ReportOutbox1795403000000 } from './1795403000000-report-outbox.js';
import { RateLimitCounters1795404000000 } from './1795404000000-rate-limit-counters.js';
import { ReportLocale1795405000000 } from './1795405000000-report-locale.js';
import { AccountSettings1795406000000 } from './1795406000000-account-settings.js';
import { UserInvitations1795407000000 } from './1795407000000-user-invitations.js';
import { Documents1795408000000 } from './1795408000000-documents.js';
import { AssessmentCampaigns1795409000000 } from './1795409000000-assessment-campaigns.js';

export const MIGRATIONS = [
  ReferenceData1795382954942,
  IdentityAndAudit1795384000000,
  Programmes1795386000000,
  Assessments1795388000000,
  PhaseTransitions1795390000000,
  Notifications1795392000000,
  Reports1795394000000,
  ReportSchedules1795396000000,
  MilestoneFiguresIndex1795398000000,
  ProgrammeDaysInPhaseIndex1795398500000,
  EventNotifications1795400000000,
  SessionsAndSecrets1795401000000,
  ReportSchedulePause1795402000000,
  ReportOutbox1795403000000,
  RateLimitCounters1795404000000,
  ReportLocale1795405000000,
  AccountSettings1795406000000,
  UserInvitations1795407000000,
  Documents1795408000000,
  AssessmentCampaigns1795409000000,
];
