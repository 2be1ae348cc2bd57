// SPDX-License-Identifier: GPL-2.0-only
/**
 * DOC: PCI glue
 *
 * ccda_layout_from_pci() describes a &struct pci_dev as the core sees it: a
 * &struct ccda_layout with the six standard BAR slots and the location of
 * the MSI-X table and PBA.
 *
 * - A slot is filled only for an assigned memory resource of non-zero
 *   length; I/O BARs, unassigned and disabled resources stay zero, so a
 *   report range naming them is refused by ccda_map_build().
 * - A 64-bit BAR fills its own slot; the slot of its upper half stays zero.
 * - The MSI-X capability (PCIe r6.2 7.7.2) is read from config space and
 *   decoded by ccda_msix_decode() (in mmio_map.c, so that the user-space
 *   tools decode a config space file with the same code), which needs no
 *   device and is tested on its own.  A function without the capability gets nr_entries 0.
 * - A failed config read, or an all-ones answer (the function is gone), is
 *   -EIO: a function that does not answer must not pass for one without
 *   MSI-X.
 *
 * Nothing here is checked for consistency: ccda_map_build() does that for
 * every layout, however it was obtained.
 */

#define pr_fmt(fmt) "ccda: " fmt
#define dev_fmt(fmt) "ccda: " fmt

#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/ioport.h>
#include <linux/pci.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "ccda.h"
#include "ccda_private.h"

static_assert(CCDA_NR_BARS == PCI_STD_NUM_BARS);
static_assert(CCDA_MSIX_ENTRY_SIZE == PCI_MSIX_ENTRY_SIZE);

/* Resources that do not describe a usable BAR */
#define CCDA_RES_UNUSABLE	(IORESOURCE_UNSET | IORESOURCE_DISABLED)

static int ccda_msix_from_pci(struct pci_dev *pdev,
			      struct ccda_msix_layout *msix)
{
	u16 status, msg_ctrl;
	u32 table, pba;
	u8 pos;

	/*
	 * pci_find_capability() cannot tell a failed read from a missing
	 * capability, so make sure the function answers at all first.
	 */
	if (pci_read_config_word(pdev, PCI_STATUS, &status) ||
	    PCI_POSSIBLE_ERROR(status)) {
		pci_dbg(pdev, "config space unreadable\n");
		return -EIO;
	}

	pos = pci_find_capability(pdev, PCI_CAP_ID_MSIX);
	if (!pos)
		return 0;

	if (pci_read_config_word(pdev, pos + PCI_MSIX_FLAGS, &msg_ctrl) ||
	    pci_read_config_dword(pdev, pos + PCI_MSIX_TABLE, &table) ||
	    pci_read_config_dword(pdev, pos + PCI_MSIX_PBA, &pba) ||
	    PCI_POSSIBLE_ERROR(msg_ctrl) || PCI_POSSIBLE_ERROR(table) ||
	    PCI_POSSIBLE_ERROR(pba)) {
		pci_dbg(pdev, "MSI-X capability unreadable\n");
		return -EIO;
	}

	ccda_msix_decode(msg_ctrl, table, pba, msix);
	return 0;
}

/**
 * ccda_layout_from_pci() - describe a PCI function's BARs and MSI-X
 * @pdev: the function
 * @layout: filled in on success; left untouched on failure
 *
 * Reads the memory BARs from @pdev's resources and the MSI-X table and PBA
 * location from its MSI-X capability, following the rules in "PCI glue"
 * above.  The result is input for ccda_map_build(), which checks it.
 *
 * Context: Process context; may sleep.  Reads config space.
 * Return: 0 on success; -EINVAL if @pdev or @layout is %NULL; -EIO if
 * config space or the MSI-X capability could not be read (a failed access,
 * or a function answering all-ones).
 */
int ccda_layout_from_pci(struct pci_dev *pdev, struct ccda_layout *layout)
{
	struct ccda_layout l = {};
	unsigned int i;
	int ret;

	if (!pdev || !layout)
		return -EINVAL;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		unsigned long flags = pci_resource_flags(pdev, i);
		struct ccda_bar *bar = &l.bars[i];

		if (!(flags & IORESOURCE_MEM) || (flags & CCDA_RES_UNUSABLE) ||
		    !pci_resource_len(pdev, i))
			continue;

		bar->start = pci_resource_start(pdev, i);
		bar->size = pci_resource_len(pdev, i);
		bar->flags = CCDA_BAR_MEM;
		if (flags & IORESOURCE_PREFETCH)
			bar->flags |= CCDA_BAR_PREFETCH;
		if (flags & IORESOURCE_MEM_64) {
			bar->flags |= CCDA_BAR_MEM64;
			/* the upper half's slot stays zero */
			i++;
		}
	}

	ret = ccda_msix_from_pci(pdev, &l.msix);
	if (ret)
		return ret;

	*layout = l;
	return 0;
}
EXPORT_SYMBOL_GPL(ccda_layout_from_pci);
