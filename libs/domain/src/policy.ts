import { type CalendarOptions, DEFAULT_CALENDAR } from './calendar';

/**
 * The figures PROCESSES.md marks as *policy*: defaults an administrator can change in
 * configuration. A case takes the policy in force when it is opened (it travels in the
 * workflow's input), so a change never moves the deadlines of running cases.
 */
export interface CasePolicy {
  calendar: CalendarOptions;
  whistleblower: {
    juristAssignmentWorkingDays: number;
    /** Reminders this many hours before BRG's reply deadline. */
    replyReminderHoursBefore: number[];
    /** The case closes by itself when BRG has not responded this many days after the reply. */
    autoCloseDaysAfterReply: number;
    /** The receipt presentation to the direktion is recorded within this many working days of receipt. */
    receiptBriefingWorkingDays: number;
    /** Reminders this many days before that deadline, at 08:00 (0: the morning of its last day). */
    receiptBriefingReminderDaysBefore: number[];
  };
  dataBreach: {
    /** Reminders this many hours after discovery while the 72 hours run. */
    reminderHoursAfterDiscovery: number[];
  };
  complaint: {
    acknowledgementWorkingDays: number;
    answerDays: number;
    /** How long an unclear complaint waits for the citizen to say whether it is a complaint. */
    citizenClarificationDays: number;
    answerReminderDaysBefore: number;
  };
  taskforce: {
    reviewEveryDays: number;
    reviewReminderDaysBefore: number;
  };
  bullyingComplaint: {
    /** "At once": the forwarding to the national body is due within this many working days. */
    forwardWorkingDays: number;
    /** The forwarding reminder, this many days before it is due (0: the morning of the day it is due). */
    forwardReminderDaysBefore: number;
    /** The reminder of the school's action plan (10 working days, law), this many days before it is due. */
    actionPlanReminderDaysBefore: number;
  };
  /** Days after closing before a case is anonymised, per process. */
  retentionDays: Record<string, number>;
  mandatoryTraining: {
    itSecurityAdministrativeDays: number;
    itSecurityPedagogicalDays: number;
    administrativeLawDays: number;
    itSecurityRefreshYears: number;
    reminderDaysBefore: number[];
  };
  accessRequest: {
    /**
     * The Copenhagen hour on the 7th working day at which the handling jurist is reminded that the
     * decision or the deadline letter (fristbrev) is due that day. Policy, not law.
     */
    decisionReminderHour: number;
  };
}

export const DEFAULT_POLICY: CasePolicy = {
  calendar: DEFAULT_CALENDAR,
  whistleblower: {
    juristAssignmentWorkingDays: 1,
    replyReminderHoursBefore: [5 * 24, 24],
    autoCloseDaysAfterReply: 30,
    receiptBriefingWorkingDays: 2,
    receiptBriefingReminderDaysBefore: [0],
  },
  dataBreach: {
    reminderHoursAfterDiscovery: [24, 48],
  },
  complaint: {
    acknowledgementWorkingDays: 5,
    answerDays: 30,
    citizenClarificationDays: 14,
    answerReminderDaysBefore: 5,
  },
  taskforce: {
    reviewEveryDays: 28,
    reviewReminderDaysBefore: 3,
  },
  bullyingComplaint: {
    forwardWorkingDays: 1,
    forwardReminderDaysBefore: 0,
    actionPlanReminderDaysBefore: 2,
  },
  retentionDays: {
    whistleblower: 5 * 365,
    'data-breach': 5 * 365,
    complaint: 5 * 365,
    'bullying-complaint': 5 * 365,
    'access-request': 5 * 365,
    taskforce: 5 * 365,
    'mandatory-training': 365,
  },
  mandatoryTraining: {
    itSecurityAdministrativeDays: 14,
    itSecurityPedagogicalDays: 28,
    administrativeLawDays: 365,
    itSecurityRefreshYears: 2,
    reminderDaysBefore: [7, 1],
  },
  accessRequest: {
    decisionReminderHour: 8,
  },
};

/** GDPR Art. 33(1): notify the supervisory authority within 72 hours of becoming aware. Law, not policy. */
export const BREACH_NOTIFICATION_HOURS = 72;
