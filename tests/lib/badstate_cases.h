/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The invalid guest states of the trust tests, one per rule of the VM-entry
 * checks on the guest-state area (SDM 26.3.1 / 27.3.1 in newer editions):
 *
 *   BADSTATE(name, base, check, rule text, body changing s and r)
 *
 * check is the id vmm's entry_check_guest() (vmm/entrycheck.c) must name.
 * No include guard and no semicolons: define BADSTATE, then include this
 * file. Used by
 * tests/kselftest/badstate_test.c (on the real module) and
 * tests/unit/check_entrycheck.c (the checker alone).
 */

/* Segment registers (SDM 26.3.1.2). */
BADSTATE(cs_type_data_readonly, PM32, "cs_type", "CS type 1 (read-only data) is not a code type",
     s->cs.type = 1)
BADSTATE(cs_code_not_accessed, PM32, "cs_type", "CS type 0xa: code segments must be accessed",
     s->cs.type = 0xa)
BADSTATE(cs_system_descriptor, PM32, "s_flag", "CS.S = 0 (system descriptor)", s->cs.s = 0)
BADSTATE(cs_not_present, PM32, "present", "CS.P = 0", s->cs.present = 0)
/*
 * Not here because Bochs 2.7 enters the guest anyway: a non-conforming CS
 * with CS.DPL != SS.DPL, and a non-canonical RIP in 64-bit mode (the guest
 * then takes #GP on the fetch and shuts down).
 */
BADSTATE(cs_data_type_dpl3, REAL, "cs_dpl", "CS type 3 (unrestricted guest) with DPL 3",
     s->cs.type = 3; s->cs.dpl = 3)
BADSTATE(ss_dpl_with_data_cs, PM32, "ss_dpl", "CS type 3 (unrestricted guest) with SS.DPL 3",
     s->cs.type = 3; s->ss.dpl = 3)
BADSTATE(conforming_cs_dpl_gt_ss_dpl, PM32, "cs_dpl", "conforming CS: CS.DPL 3 > SS.DPL 0",
     s->cs.type = 0xf; s->cs.dpl = 3)
BADSTATE(cs_limit_g_mismatch, PM32, "limit_granularity", "CS.G = 1 with limit bits 11:0 not all 1",
     s->cs.limit = 0xfffff000)
BADSTATE(ds_limit_needs_g, PM32, "limit_granularity", "DS.G = 0 with limit bits 31:20 set",
     s->ds.g = 0)
BADSTATE(cs_l_and_db_in_long_mode, LONG64, "cs_l_db", "64-bit CS with both L and D/B set",
     s->cs.db = 1)
BADSTATE(ss_type_code, PM32, "ss_type", "SS type 0xb (code) is not writable data",
     s->ss.type = 0xb)
BADSTATE(ds_type_not_accessed, PM32, "data_accessed", "DS type 2: usable data segments must be accessed",
     s->ds.type = 2)
BADSTATE(ds_execute_only_code, PM32, "code_readable", "DS type 9: code in a data register must be readable",
     s->ds.type = 9)
BADSTATE(ss_dpl_in_real_mode, REAL, "ss_dpl", "SS.DPL = 3 with CR0.PE = 0", s->ss.dpl = 3)
BADSTATE(ds_base_above_4g, PM32, "base_high", "DS base bits 63:32 not 0", s->ds.base = 1ULL << 32)
BADSTATE(fs_base_noncanonical, LONG64, "fs_base", "FS base not canonical",
     s->fs.base = 0x0000800000000000ULL)
BADSTATE(cs_unusable, PM32, "cs_unusable", "CS marked unusable", s->cs.unusable = 1)
BADSTATE(gs_base_noncanonical, LONG64, "gs_base", "GS base not canonical",
     s->gs.base = 0xff00000000000000ULL)
BADSTATE(tr_unusable, PM32, "tr_unusable", "TR unusable", s->tr.unusable = 1)
BADSTATE(tr_type_available_tss, LONG64, "tr_type", "TR type 9 (available, not busy, TSS)",
     s->tr.type = 9)
BADSTATE(tr_type_16bit_in_long_mode, LONG64, "tr_type", "TR type 3 (16-bit busy TSS) in IA-32e mode",
     s->tr.type = 3)
BADSTATE(tr_not_system, PM32, "tr_s", "TR.S = 1", s->tr.s = 1)
BADSTATE(tr_not_present, PM32, "tr_present", "TR.P = 0", s->tr.present = 0)
BADSTATE(tr_selector_ti, PM32, "tr_ti", "TR selector with TI = 1 (in the LDT)",
     s->tr.selector = 0x1c)
BADSTATE(tr_limit_g_mismatch, PM32, "limit_granularity", "TR.G = 0 with limit bit 20 set",
     s->tr.limit = 0x100000)
BADSTATE(tr_base_noncanonical, LONG64, "tr_base", "TR base not canonical",
     s->tr.base = 0xfff0000000000000ULL)
BADSTATE(ldtr_type_not_ldt, PM32, "ldtr_type", "usable LDTR with type 3, not an LDT",
     s->ldt = (struct minivmm_segment){ .limit = 0xffff, .type = 3, .present = 1 })
BADSTATE(ldtr_base_noncanonical, LONG64, "ldtr_base", "usable LDTR with a non-canonical base",
     s->ldt = (struct minivmm_segment){ .base = 0x0000900000000000ULL,
	     .limit = 0xffff, .type = 2, .present = 1 })
BADSTATE(ldtr_not_present, PM32, "ldtr_present", "usable LDTR with P = 0",
     s->ldt = (struct minivmm_segment){ .limit = 0xffff, .type = 2 })

/* Descriptor-table registers (SDM 26.3.1.3). */
BADSTATE(gdtr_base_noncanonical, LONG64, "gdtr_base", "GDTR base not canonical",
     s->gdt.base = 0x0001000000000000ULL)
BADSTATE(idtr_base_noncanonical, LONG64, "idtr_base", "IDTR base not canonical",
     s->idt.base = 0x8000000000000000ULL)

/* Control registers and EFER (SDM 26.3.1.1). */
BADSTATE(cr0_pg_without_pe, REAL, "cr0_pg_without_pe", "CR0.PG = 1 with CR0.PE = 0", s->cr0 |= CR0_PG)
BADSTATE(cr0_high_bits, PM32, "cr0_reserved", "CR0 bits 63:32 not 0", s->cr0 |= 1ULL << 40)
BADSTATE(cr4_pae_clear_long_mode, LONG64, "ia32e_needs_pg_pae", "IA-32e mode guest with CR4.PAE = 0",
     s->cr4 &= ~CR4_PAE)
BADSTATE(cr4_pcide_outside_long_mode, PM32, "pcide_outside_ia32e", "CR4.PCIDE = 1 outside IA-32e mode",
     s->cr4 |= CR4_PCIDE)
BADSTATE(cr3_reserved_bits, PM32, "cr3_reserved", "CR3 bits 63:52 not 0", s->cr3 = 1ULL << 60)
BADSTATE(efer_reserved_bit, PM32, "efer_reserved", "EFER reserved bit 1 set", s->efer |= 1ULL << 1)

/* RIP and RFLAGS (SDM 26.3.1.4). */
BADSTATE(v8086_with_flat_segments, PM32, "v8086_segments",
     "RFLAGS.VM = 1 with segments not virtual-8086 ones (base, limit, AR 0xf3)",
     r->rflags |= RFLAGS_VM)
BADSTATE(rip_above_4g_32bit, PM32, "rip_high", "RIP bits 63:32 not 0 outside 64-bit mode",
     r->rip = 0x100007c00ULL)
BADSTATE(rflags_reserved_bit3, PM32, "rflags_reserved", "RFLAGS reserved bit 3 set", r->rflags |= 1 << 3)
BADSTATE(rflags_high_bits, REAL, "rflags_reserved", "RFLAGS bits 63:22 not 0", r->rflags |= 1ULL << 40)
BADSTATE(rflags_vm_long_mode, LONG64, "rflags_vm", "RFLAGS.VM = 1 in IA-32e mode",
     r->rflags |= RFLAGS_VM)
