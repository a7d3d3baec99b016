/* model/pgv_contracts.h — ACSL contracts of the model's functions (ISA manual §8).
 *
 * Placeholder: the contracts are written against the logic in spec/ (one .acsl file per concept) and attached
 * to the declarations of model/pgv.h by this header (included by model/machine.c).
 */
#ifndef PGV_MODEL_CONTRACTS_H
#define PGV_MODEL_CONTRACTS_H
#include "pgv.h"
#endif
