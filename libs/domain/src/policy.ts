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
  };
  dataBreach: {
    /** Reminders this many hours after discovery while the 72 hours run. */
    reminderHoursAfterDiscovery: number[];
  };
}

export const DEFAULT_POLICY: CasePolicy = {
  calendar: DEFAULT_CALENDAR,
  whistleblower: {
    juristAssignmentWorkingDays: 1,
    replyReminderHoursBefore: [5 * 24, 24],
    autoCloseDaysAfterReply: 30,
  },
  dataBreach: {
    reminderHoursAfterDiscovery: [24, 48],
  },
};

/** GDPR Art. 33(1): notify the supervisory authority within 72 hours of becoming aware. Law, not policy. */
export const BREACH_NOTIFICATION_HOURS = 72;
