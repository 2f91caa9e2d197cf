/*
 * filter-impl.h - the parts of the filter compiler its own files share:
 * tokens (filter-lex.c), the parser state and syntax tree (filter-parse.c;
 * terms in filter-term.c, primitives in filter-ip.c, filter-flow.c and
 * filter-other.c), address and set helpers (filter-addr.c) and the flat
 * program with its evaluator (filter-eval.c).  Nothing outside src/filter*
 * includes this header; the public interface is filter.h.
 *
 * The pipeline: text -> token array -> syntax tree -> flat program.
 * Tokens and the tree live only while filter_compile() runs; the program,
 * its address constants and its sets are what a struct filter keeps.
 */
#ifndef NFTOP_FILTER_IMPL_H
#define NFTOP_FILTER_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "filter.h"
#include "flow.h"

struct source_table;

/* Limits: everything a filter may grow is bounded (STYLE.md rule 4). */
#define FILTER_STR_MAX		256	/* bytes of a word or string */
#define FILTER_INCLUDE_MAX	10	/* nfdump's MAX_INCLUDE_DEPTH */
#define FILTER_FILES_MAX	64	/* include files in one filter */
#define FILTER_FILE_MAX		(1 << 20) /* bytes of one include file */
#define FILTER_DEPTH_MAX	200	/* nested '(' and 'not' */
#define FILTER_INSN_MAX		60000	/* 16-bit jumps */
#define FILTER_HOSTS_MAX	16	/* addresses one host name yields */
#define FILTER_EXPECT_MAX	160	/* alternatives noted per token */

/* Internal flag: completion parses; names match nothing, never fail. */
#define FILTER_F_LAX		0x100

/* ---- tokens (filter-lex.c) ---- */

enum ftok_type {
	FT_END,		/* end of the text */
	FT_WORD,	/* [A-Za-z0-9_:.-]+ that is not a number */
	FT_NUM,		/* decimal, 0x hex, or decimal with k/m/g/t */
	FT_QSTR,	/* '...' or "..." */
	FT_CMP,		/* = == > < >= <= */
	FT_CHAR,	/* ( ) [ ] , / % ! & | and anything else */
	FT_ERR		/* the lexer's own error, reported when reached */
};

/* Comparisons; the first five are what a comparator token names. */
enum fcmp {
	FCMP_EQ,
	FCMP_GT,
	FCMP_LT,
	FCMP_GE,
	FCMP_LE,
	FCMP_ALL,	/* (value & operand) == operand: TCP flags */
	FCMP_NET,	/* masked address equality */
	FCMP_SET	/* member of a set */
};

struct ftok {
	uint8_t		 type;		/* enum ftok_type */
	uint8_t		 cmp;		/* FT_CMP: enum fcmp */
	uint8_t		 ch;		/* FT_CHAR */
	uint8_t		 src;		/* index into flex.srcs */
	uint32_t	 line;		/* 1-based, within its source */
	uint32_t	 col;		/* 1-based byte column */
	uint32_t	 off;		/* byte offset within its source */
	uint32_t	 len;		/* raw length, quotes included */
	uint64_t	 num;		/* FT_NUM */
	uint32_t	 val;		/* its value in flex.pool:
					   unquoted, NUL-ended; FT_ERR:
					   the message */
};

/* One text being read: the filter itself or an @include file. */
struct fsrc {
	char		*name;		/* NULL for the filter text */
	char		*text;		/* owned for include files */
	size_t		 len;
};

struct flex {
	struct ftok	*toks;
	size_t		 ntoks;
	size_t		 cap;
	char		*pool;		/* token values, NUL-ended */
	size_t		 npool;
	size_t		 poolcap;
	struct fsrc	*srcs;
	int		 nsrcs;
	int		 flags;		/* FILTER_F_* */
};

int		 flex_run(struct flex *, const char *text, size_t len,
		    int flags);
void		 flex_free(struct flex *);
const char	*flex_val(const struct flex *, const struct ftok *);
const char	*flex_raw(const struct flex *, const struct ftok *);
size_t		 flex_show(const struct flex *, const struct ftok *,
		    char *, size_t);

/* ---- field groups: which record fields a wire protocol carries ---- */

enum fgroup {
	FG_ALWAYS = 0,	/* every record has it */
	FG_AS,		/* srcas, dstas */
	FG_MASK,	/* srcmask, dstmask */
	FG_NEXTHOP,
	FG_BGPNH,
	FG_XLATE,	/* post-NAT addresses and ports */
	FG_VLAN,
	FG_MAC,
	FG_MPLS,
	FG_DIR,		/* flow direction */
	FG_FWD,		/* forwarding status */
	FG_ENGINE,	/* engine type and id */
	FG_MAX
};

/* ---- the flat program (filter-eval.c) ---- */

enum fop {
	FOP_U8,		/* arg: offset of a uint8_t in flow_rec */
	FOP_U16,
	FOP_U32,
	FOP_U64,
	FOP_AF,		/* address family, 4 or 6 */
	FOP_DURATION,	/* last - first, msec */
	FOP_PPS,	/* 1000 * pkts / duration, 0 if duration is 0 */
	FOP_BPS,	/* 8000 * bytes / duration */
	FOP_BPP,	/* bytes / pkts */
	FOP_ADDR,	/* arg = offset of a flow_addr; val = addrs[] index */
	FOP_ADDR_SET,	/* arg: offset of a flow_addr; val: sets[] */
	FOP_PORT_SET,	/* arg: offset of a uint16_t; val: sets[] */
	FOP_U32_SET,	/* arg = offset of a uint32_t; val = sets[] index */
	FOP_MAC,	/* arg = offset of 6 bytes; val = the MAC */
	FOP_MPLS_LABEL,	/* top label of the stack */
	FOP_MPLS_EXP,
	FOP_MPLS_EOS,	/* label of the bottom entry, if it is the top */
	FOP_ROUTER,	/* exporter address; val = addrs[] index */
	FOP_ENGINE_TYPE,
	FOP_ENGINE_ID,
	FOP_SYSID,	/* collector-assigned exporter number, from 1 */
	FOP_NFVERSION	/* NetFlow version of the record's protocol */
};

/* A test: read a value, compare it with val. */
struct fleaf {
	uint8_t		 op;		/* enum fop */
	uint8_t		 cmp;		/* enum fcmp */
	uint8_t		 group;		/* enum fgroup */
	uint8_t		 pad;
	uint32_t	 arg;
	uint64_t	 val;
};

/* An instruction: a test and where to go on true and on false. */
struct finsn {
	struct fleaf	 t;
	uint16_t	 on_true;
	uint16_t	 on_false;
};

#define FPC_FALSE	0xfffe
#define FPC_TRUE	0xffff

/* An address constant: (field & mask) == addr, same family. */
struct faddr {
	struct flow_addr addr;
	struct flow_addr mask;
	uint8_t		 v4;
};

/* Addresses of one prefix length, sorted, masked. */
struct fipgroup {
	struct flow_addr mask;
	uint8_t		 v4;
	struct flow_addr *v;
	size_t		 n;
};

enum fset_kind {
	FSET_PORT,	/* 65536-bit bitmap */
	FSET_U32,	/* sorted array */
	FSET_ADDR	/* groups by prefix length */
};

struct fset {
	int		 kind;
	uint8_t		*bits;
	uint32_t	*u32;
	size_t		 n;
	struct fipgroup	*groups;
	size_t		 ngroups;
};

/* The compiled filter; filter.h keeps it opaque. */
struct filter {
	char		*text;
	struct finsn	*prog;
	size_t		 nprog;
	uint16_t	 entry;		/* first instruction or FPC_* */
	struct faddr	*addrs;
	size_t		 naddrs;
	struct fset	*sets;
	size_t		 nsets;
	const struct source_table *sources;
};

/* ---- the syntax tree (filter-parse.c builds, filter-eval.c compiles) ---- */

enum fnode_kind {
	FN_LEAF,
	FN_TRUE,
	FN_FALSE,
	FN_AND,
	FN_OR,
	FN_NOT
};

struct fnode {
	int		 kind;
	int		 a;		/* children: node indices */
	int		 b;
	struct fleaf	 leaf;
};

/* ---- the parser (filter-parse.c, filter-term.c) ---- */

/* Direction qualifiers (FILTER.md section 3). */
enum fdq {
	DQ_NONE,
	DQ_SRC,
	DQ_DST,
	DQ_SRC_AND_DST,		/* classic "src and dst" */
	DQ_SRC_OR_DST,		/* classic "src or dst" */
	DQ_IN,
	DQ_OUT,
	DQ_IN_SRC,
	DQ_IN_DST,
	DQ_OUT_SRC,
	DQ_OUT_DST,
	DQ_PREV,
	DQ_NEXT,
	DQ_BGP_NEXT,
	DQ_ROUTER,		/* "router" and "exporter" */
	DQ_NAT,
	DQ_SRC_NAT,
	DQ_DST_NAT,
	DQ_TUN,
	DQ_SRC_TUN,
	DQ_DST_TUN,
	DQ_INGRESS,
	DQ_EGRESS,
	DQ_CLIENT,
	DQ_SERVER,
	DQ_APP,			/* classic "app latency" */
	DQ_MAX
};

#define DQB(d)		(1u << (d))
/* The src/dst family every address-like primitive takes. */
#define DQB_SD		(DQB(DQ_NONE) | DQB(DQ_SRC) | DQB(DQ_DST) | \
			 DQB(DQ_SRC_AND_DST) | DQB(DQ_SRC_OR_DST))
#define DQB_NAT		(DQB(DQ_NAT) | DQB(DQ_SRC_NAT) | DQB(DQ_DST_NAT))
#define DQB_TUN		(DQB(DQ_TUN) | DQB(DQ_SRC_TUN) | DQB(DQ_DST_TUN))

/*
 * What the parser offered at one token: keywords and punctuation (literal
 * text) and placeholders ("<number>").  A name list (protocol names, ...)
 * stands behind a placeholder: completion expands it, error hints do not.
 */
struct fexpect {
	const char		*what[FILTER_EXPECT_MAX];
	const char *const	*list[4];
	size_t			 n;
	size_t			 nlist;
	size_t			 pos;		/* its token */
};

struct fparse {
	struct flex	 lx;
	size_t		 pos;
	int		 depth;
	int		 flags;
	struct fexpect	 exp;
	struct filter_error *err;	/* set on the first error */
	int		 failed;
	/* The tree. */
	struct fnode	*nodes;
	size_t		 nnodes;
	size_t		 nodecap;
	/* What the compiled filter will own. */
	struct faddr	*addrs;
	size_t		 naddrs;
	size_t		 addrcap;
	struct fset	*sets;
	size_t		 nsets;
	size_t		 setcap;
};

/* filter-parse.c */
int		 fparse_run(struct fparse *, const char *text, int flags,
		    struct filter_error *);
void		 fparse_free(struct fparse *);
const struct ftok *fp_tok(const struct fparse *);
const struct ftok *fp_peek(const struct fparse *, size_t ahead);
void		 fp_next(struct fparse *);
void		 fp_expect(struct fparse *, const char *);
void		 fp_expect_list(struct fparse *, const char *,
		    const char *const *);
int		 fp_is_word(const struct fparse *, const struct ftok *,
		    const char *);
int		 fp_word(struct fparse *, const char *);
int		 fp_char(struct fparse *, int);
int		 fp_comp(struct fparse *, int *cmp);
int		 fp_number(struct fparse *, uint64_t *);
int		 fp_string(struct fparse *, const char *what,
		    const char **);
int		 fp_error(struct fparse *, const struct ftok *,
		    const char *hint, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
int		 fp_syntax(struct fparse *);
int		 fp_reserved(const char *);
int		 fn_leaf(struct fparse *, int op, int cmp, int group,
		    uint32_t arg, uint64_t val);
int		 fn_bool(struct fparse *, int);
int		 fn_and(struct fparse *, int, int);
int		 fn_or(struct fparse *, int, int);
int		 fn_not(struct fparse *, int);
int		 fp_add_addr(struct fparse *, const struct flow_addr *,
		    const struct flow_addr *mask, int v4);
int		 fp_add_set(struct fparse *, const struct fset *);

/* filter-term.c */
typedef int (*fprim_fn)(struct fparse *, int dq, const struct ftok *kw);

/* A primitive: its keyword, the qualifiers it takes, its parser. */
struct fprim {
	const char	*name;
	uint32_t	 dqs;		/* DQB() of its qualifiers */
	fprim_fn	 fn;
};

#define FILTER_LIST_MAX	100000	/* elements of one [ list ] */

extern const struct fprim fprim_ip[];		/* filter-ip.c */
extern const struct fprim fprim_flow[];		/* filter-flow.c */
extern const struct fprim fprim_other[];	/* filter-other.c */

int		 fterm_parse(struct fparse *);
void		 fterm_expect_start(struct fparse *);
int		 fterm_in_list(const char *const *, const char *);
int		 fterm_cmp_const(uint64_t, int cmp, uint64_t);
int		 fterm_comp_number(struct fparse *, int *cmp, uint64_t *,
		    uint64_t max, const char *hint, const char *msg);
int		 fterm_plain_number(struct fparse *, uint64_t *,
		    uint64_t max, const char *hint, const char *msg);
int		 fterm_string(struct fparse *, const char *what,
		    const char **);
int		 fterm_absent(struct fparse *);
int		 fterm_sides(int dq, int *sides, int *conj);
int		 fterm_combine(struct fparse *, int acc, int x, int conj);
int		 fterm_classic_nat(int dq);
int		 fterm_sub_word(struct fparse *, const char *const *subs,
		    const char *what, const char **, const char *hint,
		    const char *msg);
int		 fterm_error(struct fparse *, const struct ftok *,
		    const char *hint, const char *msg, uint64_t,
		    const char *);
int		 fterm_optional_string(struct fparse *, const char **);

/* filter-addr.c */
struct fhost {
	struct flow_addr a[FILTER_HOSTS_MAX];
	int		 n;
};

int		 faddr_parse(const char *, struct flow_addr *, int *v4);
int		 faddr_parse_abbrev(const char *, struct flow_addr *,
		    int *octets);
int		 faddr_lookup(const char *, struct fhost *, int allow_names);
void		 faddr_prefix_mask(struct flow_addr *, int v4, unsigned);
int		 faddr_mac(const char *, uint64_t *);
int		 faddr_time(const char *, uint64_t *msec);
int		 fset_ip_build(struct fset *, const struct flow_addr *,
		    const uint8_t *plen, const uint8_t *v4, size_t n);
void		 fset_free(struct fset *);
int		 fset_ip_has(const struct fset *, const struct flow_addr *,
		    int v4);
int		 fset_u32_has(const struct fset *, uint32_t);

/* filter-eval.c */
int		 fprog_build(struct filter *, struct fparse *, int root);
uint32_t	 fprog_origin_groups(int origin);	/* 1 << FG_* */
int		 fprog_origin_version(int origin);	/* 0: none */

#endif
