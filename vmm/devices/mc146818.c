// SPDX-License-Identifier: GPL-2.0
/*
 * The MC146818A RTC and CMOS RAM at 0x70-0x71; see mc146818.h. Runs in
 * the VCPU thread whose IN or OUT reached it, or in vmm's poll, with the
 * devices' lock held. Sections cited are the Motorola MC146818A data
 * sheet's.
 *
 * The clock is not a counter of register bytes but a time: sec, seconds
 * since 1970, as of last_ns, the divider chain's last second on the
 * vclock. Reads encode it in the format register B asks for (BCD or
 * binary, 12 or 24 hours); a write to a time register decodes them back.
 * While the clock stands (B.SET, or the divider held: "Divider Stages")
 * the guest's bytes are kept as written and decoded when it runs again.
 * The update cycle is instantaneous at each second; UIP rises 244 us
 * before it ("Update Cycle"). Not modelled: the square-wave pin (SQWE is
 * kept), daylight saving (DSE is kept, no jumps are made), the divider's
 * 4.19 and 1.05 MHz time bases (only 010 runs the clock), and the
 * undefined results of out-of-range time values: they carry (second 60
 * is the next minute's 0).
 */
#include <stdio.h>
#include <string.h>

#include "mc146818.h"

/* Address map ("Address Map"); 0x32 is the PC's century byte in NVRAM. */
#define R_SEC		0x00
#define R_ASEC		0x01
#define R_MIN		0x02
#define R_AMIN		0x03
#define R_HOUR		0x04
#define R_AHOUR		0x05
#define R_WDAY		0x06
#define R_MDAY		0x07
#define R_MON		0x08
#define R_YEAR		0x09
#define R_A		0x0a
#define R_B		0x0b
#define R_C		0x0c
#define R_D		0x0d
#define R_CENTURY	0x32

#define A_UIP		0x80	/* update in progress (read-only) */
#define A_DV		0x70	/* divider select */
#define A_DV_32K	0x20	/* 010: 32.768 kHz time base, the clock runs */
#define A_RS		0x0f	/* periodic rate select */
#define B_SET		0x80
#define B_PIE		0x40
#define B_AIE		0x20
#define B_UIE		0x10
#define B_DM		0x04	/* data mode: 1 binary, 0 BCD */
#define B_24H		0x02
#define C_IRQF		0x80
#define C_PF		0x40	/* the flags sit at their enables' bits in B */
#define C_AF		0x20
#define C_UF		0x10
#define D_VRT		0x80	/* valid RAM and time: the battery is good */

#define NS		((int64_t)NSEC_PER_SEC)
#define TICK_HZ		32768	/* the PC's time-base crystal */
#define UIP_NS		244140	/* tBUC, 8 time-base cycles: 244 us ("Update Cycle") */
#define DAY		86400

#define ALARM_ANY	(-1)	/* a "don't care" alarm byte */
#define ALARM_NONE	(-2)	/* an alarm byte no time matches */

/* The time and date registers: encoded from sec unless the clock stands. */
static const uint8_t time_reg_list[] = { R_SEC, R_MIN, R_HOUR, R_WDAY, R_MDAY, R_MON, R_YEAR,
					 R_CENTURY };

struct rtc_tm {
	int sec, min, hour, wday, mday, mon;	/* wday 0 = Sunday, mon 1-12 */
	int64_t year;
};

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy;

	y -= m <= 2;
	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static void time_of(int64_t t, struct rtc_tm *tm)
{
	int64_t days = floor_div(t, DAY), z = days + 719468, era, doe, yoe, doy, mp;
	int sod = t - days * DAY;

	tm->sec = sod % 60;
	tm->min = sod / 60 % 60;
	tm->hour = sod / 3600;
	tm->wday = days - floor_div(days + 4, 7) * 7 + 4;	/* 1970-01-01 was a Thursday */
	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	tm->mday = doy - (153 * mp + 2) / 5 + 1;
	tm->mon = mp < 10 ? mp + 3 : mp - 9;
	tm->year = yoe + era * 400 + (tm->mon <= 2);
}

static bool div_running(const struct mc146818 *rtc)
{
	return (rtc->reg[R_A] & A_DV) == A_DV_32K;
}

static bool clock_stands(const struct mc146818 *rtc)
{
	return !div_running(rtc) || (rtc->reg[R_B] & B_SET);
}

/* "Time, Calendar and Alarm Data Modes": BCD or binary; hours 0-23, or 1-12 with PM in bit 7. */
static uint8_t to_reg(const struct mc146818 *rtc, unsigned int v)
{
	return (rtc->reg[R_B] & B_DM) ? v : (v / 10) << 4 | v % 10;
}

static int from_reg(const struct mc146818 *rtc, uint8_t r)
{
	return (rtc->reg[R_B] & B_DM) ? r : (r >> 4) * 10 + (r & 0x0f);
}

static uint8_t hour_to_reg(const struct mc146818 *rtc, int h)
{
	if (rtc->reg[R_B] & B_24H)
		return to_reg(rtc, h);
	return to_reg(rtc, h % 12 ? h % 12 : 12) | (h >= 12 ? 0x80 : 0);
}

static int hour_from_reg(const struct mc146818 *rtc, uint8_t r)
{
	if (rtc->reg[R_B] & B_24H)
		return from_reg(rtc, r);
	return from_reg(rtc, r & 0x7f) % 12 + (r & 0x80 ? 12 : 0);
}

/* Time register i as the running clock shows it now. */
static uint8_t time_reg(const struct mc146818 *rtc, unsigned int i)
{
	struct rtc_tm tm;

	time_of(rtc->sec, &tm);
	switch (i) {
	case R_SEC:
		return to_reg(rtc, tm.sec);
	case R_MIN:
		return to_reg(rtc, tm.min);
	case R_HOUR:
		return hour_to_reg(rtc, tm.hour);
	case R_WDAY:		/* 1-7, Sunday 1, off by what the guest set */
		return to_reg(rtc, (tm.wday + rtc->wday_adj) % 7 + 1);
	case R_MDAY:
		return to_reg(rtc, tm.mday);
	case R_MON:
		return to_reg(rtc, tm.mon);
	case R_YEAR:
		return to_reg(rtc, tm.year % 100);
	default:		/* the century, in the data mode too (as Linux reads it) */
		return to_reg(rtc, tm.year / 100);
	}
}

/* The clock stops: its registers keep the time. */
static void rtc_freeze(struct mc146818 *rtc)
{
	unsigned int i;

	for (i = 0; i < sizeof(time_reg_list); i++)
		rtc->reg[time_reg_list[i]] = time_reg(rtc, time_reg_list[i]);
}

/* The clock runs from what its registers hold. */
static void rtc_thaw(struct mc146818 *rtc)
{
	const uint8_t *r = rtc->reg;
	int64_t year = from_reg(rtc, r[R_CENTURY]) * 100 + from_reg(rtc, r[R_YEAR]);
	int64_t mon = from_reg(rtc, r[R_MON]) - 1, days;
	struct rtc_tm tm;

	year += floor_div(mon, 12);
	mon -= floor_div(mon, 12) * 12;
	days = days_from_civil(year, mon + 1, 1) + from_reg(rtc, r[R_MDAY]) - 1;
	rtc->sec = days * DAY + hour_from_reg(rtc, r[R_HOUR]) * 3600 +
		   from_reg(rtc, r[R_MIN]) * 60 + from_reg(rtc, r[R_SEC]);
	time_of(rtc->sec, &tm);
	rtc->wday_adj = ((from_reg(rtc, r[R_WDAY]) - 1 - tm.wday) % 7 + 7) % 7;
}

/* An alarm byte ("Alarm"): ALARM_ANY for 11xxxxxx, its value, or ALARM_NONE. */
static int alarm_field(const struct mc146818 *rtc, unsigned int i)
{
	uint8_t r = rtc->reg[i];
	int v;

	if ((r & 0xc0) == 0xc0)
		return ALARM_ANY;
	if (i == R_AHOUR) {
		v = hour_from_reg(rtc, r);
		return v < 24 && hour_to_reg(rtc, v) == r ? v : ALARM_NONE;
	}
	v = from_reg(rtc, r);
	return v < 60 && to_reg(rtc, v) == r ? v : ALARM_NONE;
}

/* The first second after t the alarm matches, or INT64_MAX. */
static int64_t alarm_next(const struct mc146818 *rtc, int64_t t)
{
	int s = alarm_field(rtc, R_ASEC), m = alarm_field(rtc, R_AMIN);
	int h = alarm_field(rtc, R_AHOUR);
	int64_t day = floor_div(t, DAY) * DAY;
	int sod = t - day, minute, lo;

	if (s == ALARM_NONE || m == ALARM_NONE || h == ALARM_NONE)
		return INT64_MAX;
	for (minute = sod / 60; minute <= sod / 60 + 24 * 60; minute++) {
		if ((h >= 0 && minute / 60 % 24 != h) || (m >= 0 && minute % 60 != m))
			continue;
		lo = minute == sod / 60 ? sod % 60 + 1 : 0;
		if (s < 0 && lo < 60)
			return day + minute * 60 + lo;
		if (s >= lo)
			return day + minute * 60 + s;
	}
	return INT64_MAX;
}

/*
 * The periodic interrupt's period in time-base cycles, or 0 for none
 * ("Periodic Interrupt Rate" table): rates 1 and 2 are 256 and 128 Hz,
 * 3-15 are 32768 >> (rate - 1) Hz.
 */
static unsigned int period_ticks(const struct mc146818 *rtc)
{
	unsigned int rs = rtc->reg[R_A] & A_RS;

	if (!rs)
		return 0;
	return 1u << ((rs < 3 ? rs + 7 : rs) - 1);
}

/* Time-base cycles gone by in ns >= 0; the first ns by which t cycles have. */
static uint64_t ns_to_ticks(int64_t ns)
{
	return (uint64_t)(ns / NS) * TICK_HZ + (uint64_t)(ns % NS) * TICK_HZ / NS;
}

static int64_t ticks_to_ns(uint64_t t)
{
	return (int64_t)(t / TICK_HZ) * NS + ((int64_t)(t % TICK_HZ) * NS + TICK_HZ - 1) / TICK_HZ;
}

/* IRQF = PF.PIE + AF.AIE + UF.UIE ("Register C"); IRQ 8 follows it. */
static void rtc_update_irq(struct mc146818 *rtc)
{
	bool level = rtc->c & rtc->reg[R_B] & (C_PF | C_AF | C_UF);

	rtc->c = level ? rtc->c | C_IRQF : rtc->c & ~C_IRQF;
	if (level != rtc->irq_level) {
		rtc->irq_level = level;
		bus_irq_set(&rtc->irq, level);
	}
}

/* Bring the divider chain up to now: the flags of what fell due since. */
static void rtc_advance(struct mc146818 *rtc, int64_t now)
{
	unsigned int p = period_ticks(rtc);
	int64_t k;

	if (!div_running(rtc))
		return;			/* the chain is held: nothing happens */
	if (now > rtc->pf_ns) {
		if (p && ns_to_ticks(now - rtc->last_ns) / p != ns_to_ticks(rtc->pf_ns - rtc->last_ns) / p)
			rtc->c |= C_PF;
		rtc->pf_ns = now;
	}
	k = (now - rtc->last_ns) / NS;
	if (k <= 0)
		return;
	if (!(rtc->reg[R_B] & B_SET)) {	/* SET inhibits the update cycle */
		rtc->c |= C_UF;
		if (alarm_next(rtc, rtc->sec) <= rtc->sec + k)
			rtc->c |= C_AF;
		rtc->sec += k;
	}
	rtc->last_ns += k * NS;
}

static int64_t rtc_now(const struct mc146818 *rtc)
{
	return vclock_now(&rtc->clock);
}

uint64_t mc146818_poll(struct mc146818 *rtc)
{
	int64_t now = rtc_now(rtc), next = INT64_MAX, a;
	unsigned int p = period_ticks(rtc);
	uint8_t b = rtc->reg[R_B];

	rtc_advance(rtc, now);
	rtc_update_irq(rtc);
	if (!div_running(rtc))
		return VCLOCK_NEVER;
	if ((b & B_PIE) && p)
		next = rtc->last_ns + ticks_to_ns((ns_to_ticks(now - rtc->last_ns) / p + 1) * p);
	if (!(b & B_SET) && (b & B_UIE) && rtc->last_ns + NS < next)
		next = rtc->last_ns + NS;
	if (!(b & B_SET) && (b & B_AIE)) {
		a = alarm_next(rtc, rtc->sec);
		if (a != INT64_MAX && rtc->last_ns + (a - rtc->sec) * NS < next)
			next = rtc->last_ns + (a - rtc->sec) * NS;
	}
	return next == INT64_MAX ? VCLOCK_NEVER : (uint64_t)next;
}

static bool is_time_reg(unsigned int i)
{
	return memchr(time_reg_list, i, sizeof(time_reg_list)) != NULL;
}

static uint8_t rtc_read_reg(struct mc146818 *rtc, unsigned int i)
{
	int64_t now = rtc_now(rtc);
	uint8_t v;

	rtc_advance(rtc, now);
	if (i == R_C) {		/* reading C clears it, and IRQF: IRQ 8 falls (or never rose) */
		v = rtc->c;
		if (v & rtc->reg[R_B] & (C_PF | C_AF | C_UF))
			v |= C_IRQF;
		rtc->c = 0;
		rtc_update_irq(rtc);
		return v;
	}
	rtc_update_irq(rtc);
	if (is_time_reg(i))
		return clock_stands(rtc) ? rtc->reg[i] : time_reg(rtc, i);
	switch (i) {
	case R_A:
		v = rtc->reg[R_A];
		if (!clock_stands(rtc) && rtc->last_ns + NS - now <= UIP_NS)
			v |= A_UIP;
		return v;
	case R_D:
		return D_VRT;
	default:
		return rtc->reg[i];
	}
}

static void rtc_write_reg(struct mc146818 *rtc, unsigned int i, uint8_t v)
{
	int64_t now = rtc_now(rtc);
	bool was_running = div_running(rtc), was_set = rtc->reg[R_B] & B_SET;

	rtc_advance(rtc, now);
	switch (is_time_reg(i) ? R_SEC : i) {
	case R_SEC:		/* any time or date register */
		if (clock_stands(rtc)) {
			rtc->reg[i] = v;
		} else {	/* a new time, on the same second boundaries */
			rtc_freeze(rtc);
			rtc->reg[i] = v;
			rtc_thaw(rtc);
		}
		break;
	case R_A:
		rtc->reg[R_A] = v & ~A_UIP;
		if (was_running && !div_running(rtc) && !was_set) {
			rtc_freeze(rtc);
		} else if (!was_running && div_running(rtc)) {
			/* "the first update cycle begins one-half second later" */
			rtc->last_ns = now - NS / 2;
			rtc->pf_ns = now;
			if (!was_set)
				rtc_thaw(rtc);
		}
		break;
	case R_B:
		if (v & B_SET)		/* SET clears UIE ("Register B") */
			v &= ~B_UIE;
		rtc->reg[R_B] = v;
		if (div_running(rtc) && (v & B_SET) && !was_set)
			rtc_freeze(rtc);
		else if (div_running(rtc) && !(v & B_SET) && was_set)
			rtc_thaw(rtc);
		break;
	case R_C:
	case R_D:		/* read-only */
		break;
	default:		/* alarms and NVRAM */
		rtc->reg[i] = v;
		break;
	}
	rtc_update_irq(rtc);
}

/* Port 0x70 is write-only on the PC/AT: it reads as nothing there. */
static uint64_t rtc_read(void *opaque, uint64_t offset, unsigned int size)
{
	struct mc146818 *rtc = opaque;

	(void)size;
	return offset ? rtc_read_reg(rtc, rtc->index) : 0xff;
}

static int rtc_write(void *opaque, uint64_t offset, uint64_t value, unsigned int size)
{
	struct mc146818 *rtc = opaque;

	(void)size;
	if (offset == 0) {
		rtc->index = value & 0x7f;
		rtc->nmi_masked = value & 0x80;
	} else {
		rtc_write_reg(rtc, rtc->index, value);
	}
	return BUS_OK;
}

static const char *rtc_reg_name(unsigned int i)
{
	static const char *const names[] = {
		"seconds", "alarm seconds", "minutes", "alarm minutes", "hours", "alarm hours",
		"day of week", "day of month", "month", "year", "register A", "register B",
		"register C", "register D",
	};

	if (i < sizeof(names) / sizeof(names[0]))
		return names[i];
	return i == R_CENTURY ? "century" : "NVRAM";
}

static void rtc_describe(void *opaque, uint64_t offset, uint64_t value, char *buf, size_t len)
{
	struct mc146818 *rtc = opaque;

	if (offset == 0)
		snprintf(buf, len, "RTC index %#x (%s)%s", (unsigned int)value & 0x7f,
			 rtc_reg_name(value & 0x7f), value & 0x80 ? ", NMI masked" : "");
	else
		snprintf(buf, len, "RTC %s %#x = %#x", rtc_reg_name(rtc->index), rtc->index,
			 (unsigned int)value & 0xff);
}

static const struct bus_ops mc146818_ops = {
	.name = "mc146818",
	.read = rtc_read,
	.write = rtc_write,
	.describe = rtc_describe,
};

/* The PC/AT's checksum of NVRAM 0x10-0x2d, big-endian at 0x2e-0x2f. */
static void rtc_checksum(struct mc146818 *rtc)
{
	unsigned int i, sum = 0;

	for (i = 0x10; i <= 0x2d; i++)
		sum += rtc->reg[i];
	rtc->reg[0x2e] = sum >> 8;
	rtc->reg[0x2f] = sum;
}

static void put16(struct mc146818 *rtc, unsigned int i, uint64_t v)
{
	if (v > 0xffff)
		v = 0xffff;
	rtc->reg[i] = v;
	rtc->reg[i + 1] = v >> 8;
}

void mc146818_set_memory(struct mc146818 *rtc, uint64_t ram)
{
	uint64_t kib = ram >> 10, below4g = ram < (4ULL << 30) ? ram : 4ULL << 30;

	put16(rtc, 0x15, kib < 640 ? kib : 640);		/* base memory, KiB */
	put16(rtc, 0x17, kib > 1024 ? kib - 1024 : 0);		/* above 1 MiB, KiB */
	put16(rtc, 0x30, kib > 1024 ? kib - 1024 : 0);		/* the same, as POST found it */
	put16(rtc, 0x34, below4g > (16 << 20) ? (below4g - (16 << 20)) >> 16 : 0); /* 16M-4G, 64 KiB */
	rtc_checksum(rtc);
}

int mc146818_attach(struct bus *bus, struct mc146818 *rtc, const struct vclock *clock,
		    int64_t epoch_s, const struct bus_irq *irq8)
{
	memset(rtc, 0, sizeof(*rtc));
	rtc->clock = *clock;
	if (irq8)
		rtc->irq = *irq8;
	rtc->reg[R_A] = 0x26;		/* 32.768 kHz time base, 1024 Hz periodic rate */
	rtc->reg[R_B] = B_24H;		/* BCD, 24-hour, no interrupts */
	rtc->sec = epoch_s;
	rtc->last_ns = rtc->pf_ns = rtc_now(rtc);
	rtc->reg[0x10] = 0x00;		/* no floppy drives */
	rtc->reg[0x12] = 0x00;		/* no hard disks */
	rtc->reg[0x14] = 0x02;		/* equipment: FPU, EGA/VGA-class display, no floppy */
	put16(rtc, 0x15, 640);		/* 640 KiB of base memory */
	rtc_checksum(rtc);
	return bus_register(bus, BUS_PIO, MC146818_PORT, MC146818_NR_PORTS, &mc146818_ops, rtc);
}
