import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.shacl.validation.ReportEntry;

/**
 * Validates several data files against one shapes file with Jena's SHACL engine (the engine
 * behind Jena's `shacl validate` command), in one JVM, so that each file costs no JVM start.
 *
 * <pre>
 *   SHAPES DATA...   for each DATA: "result FOCUS COMPONENT" lines, then "summary DATA conforms|violates N"
 * </pre>
 *
 * Focus nodes are written in N-Triples form (blank nodes as _:label), so they compare with pySHACL's.
 * Specification: SHACL, https://www.w3.org/TR/shacl/ (§3.6 validation reports).
 */
public final class JenaShaclCheck {

    private static String term(Node n) {
        if (n.isURI()) {
            return "<" + n.getURI() + ">";
        }
        if (n.isBlank()) {
            return "_:" + n.getBlankNodeLabel();
        }
        return n.toString();
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: JenaShaclCheck SHAPES DATA...");
            System.exit(2);
        }
        Shapes shapes = Shapes.parse(RDFDataMgr.loadGraph(args[0]));
        for (int i = 1; i < args.length; i++) {
            Graph data = RDFDataMgr.loadGraph(args[i]);
            ValidationReport report = ShaclValidator.get().validate(shapes, data);
            for (ReportEntry e : report.getEntries()) {
                System.out.println("result\t" + term(e.focusNode()) + "\t" + term(e.sourceConstraintComponent()));
            }
            System.out.println("summary\t" + args[i] + "\t" + (report.conforms() ? "conforms" : "violates")
                + "\t" + report.getEntries().size());
        }
    }
}
